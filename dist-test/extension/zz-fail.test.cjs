"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// test/extension/zz-fail.test.ts
var assert = __toESM(require("node:assert/strict"), 1);
describe("deliberate", () => {
  it("fails", () => {
    assert.equal(1 + 1, 3);
  });
});
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLi4vLi4vdGVzdC9leHRlbnNpb24venotZmFpbC50ZXN0LnRzIl0sCiAgInNvdXJjZXNDb250ZW50IjogWyJpbXBvcnQgKiBhcyBhc3NlcnQgZnJvbSAnbm9kZTphc3NlcnQvc3RyaWN0JztcbmRlc2NyaWJlKCdkZWxpYmVyYXRlJywgKCkgPT4geyBpdCgnZmFpbHMnLCAoKSA9PiB7IGFzc2VydC5lcXVhbCgxICsgMSwgMyk7IH0pOyB9KTtcbiJdLAogICJtYXBwaW5ncyI6ICI7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7QUFBQSxhQUF3QjtBQUN4QixTQUFTLGNBQWMsTUFBTTtBQUFFLEtBQUcsU0FBUyxNQUFNO0FBQUUsSUFBTyxhQUFNLElBQUksR0FBRyxDQUFDO0FBQUEsRUFBRyxDQUFDO0FBQUcsQ0FBQzsiLAogICJuYW1lcyI6IFtdCn0K
