"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
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
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// test/extension/index.ts
var index_exports = {};
__export(index_exports, {
  run: () => run
});
module.exports = __toCommonJS(index_exports);
var import_mocha = __toESM(require("mocha"), 1);
var import_node_fs = require("node:fs");
var import_node_path = require("node:path");

// test/extension/print.ts
var import_node_util = require("node:util");
function print(...args) {
  console.log(`${process.env.B2M_TEST_OUTPUT_TAG ?? ""}${(0, import_node_util.format)(...args)}`);
}

// test/extension/index.ts
async function run() {
  import_mocha.default.reporters.Base.consoleLog = print;
  const mocha = new import_mocha.default({ ui: "bdd", reporter: "spec", color: false, timeout: 2e4 });
  const grep = process.env.B2M_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = (0, import_node_fs.readdirSync)(__dirname).filter((name) => name.endsWith(".test.cjs")).sort();
  if (files.length === 0) throw new Error(`no *.test.cjs bundles in ${__dirname}`);
  for (const name of files) mocha.addFile((0, import_node_path.join)(__dirname, name));
  const failures = await new Promise((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  run
});
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLi4vLi4vdGVzdC9leHRlbnNpb24vaW5kZXgudHMiLCAiLi4vLi4vdGVzdC9leHRlbnNpb24vcHJpbnQudHMiXSwKICAic291cmNlc0NvbnRlbnQiOiBbIi8vIEVudHJ5IHBvaW50IG9mIHRoZSBpbnRlZ3JhdGlvbiB0ZXN0cyBpbnNpZGUgdGhlIGV4dGVuc2lvbiBob3N0IChWUyBDb2RlIGNhbGxzIHJ1bigpKS4gRWFjaFxuLy8gdGVzdC9leHRlbnNpb24vKi50ZXN0LnRzIGlzIGJ1bmRsZWQgbmV4dCB0byB0aGlzIGZpbGUgYXMgKi50ZXN0LmNqczsgbW9jaGEgaXMgcmVzb2x2ZWQgZnJvbSB0aGVcbi8vIGNoZWNrb3V0J3Mgbm9kZV9tb2R1bGVzLiBCMk1fVEVTVF9HUkVQIHNlbGVjdHMgdGVzdHMgYnkgdGl0bGUuXG5pbXBvcnQgTW9jaGEgZnJvbSAnbW9jaGEnO1xuaW1wb3J0IHsgcmVhZGRpclN5bmMgfSBmcm9tICdub2RlOmZzJztcbmltcG9ydCB7IGpvaW4gfSBmcm9tICdub2RlOnBhdGgnO1xuaW1wb3J0IHsgcHJpbnQgfSBmcm9tICcuL3ByaW50LmpzJztcblxuZXhwb3J0IGFzeW5jIGZ1bmN0aW9uIHJ1bigpOiBQcm9taXNlPHZvaWQ+IHtcbiAgLy8gbW9jaGEncyByZXBvcnRlcnMgcHJpbnQgdGhyb3VnaCB0aGlzOyBzZWUgcHJpbnQudHMgZm9yIHdoeSBub3QgY29uc29sZS5sb2cuXG4gIE1vY2hhLnJlcG9ydGVycy5CYXNlLmNvbnNvbGVMb2cgPSBwcmludDtcbiAgY29uc3QgbW9jaGEgPSBuZXcgTW9jaGEoeyB1aTogJ2JkZCcsIHJlcG9ydGVyOiAnc3BlYycsIGNvbG9yOiBmYWxzZSwgdGltZW91dDogMjBfMDAwIH0pO1xuICBjb25zdCBncmVwID0gcHJvY2Vzcy5lbnYuQjJNX1RFU1RfR1JFUDtcbiAgaWYgKGdyZXApIG1vY2hhLmdyZXAoZ3JlcCk7XG4gIGNvbnN0IGZpbGVzID0gcmVhZGRpclN5bmMoX19kaXJuYW1lKS5maWx0ZXIoKG5hbWUpID0+IG5hbWUuZW5kc1dpdGgoJy50ZXN0LmNqcycpKS5zb3J0KCk7XG4gIGlmIChmaWxlcy5sZW5ndGggPT09IDApIHRocm93IG5ldyBFcnJvcihgbm8gKi50ZXN0LmNqcyBidW5kbGVzIGluICR7X19kaXJuYW1lfWApO1xuICBmb3IgKGNvbnN0IG5hbWUgb2YgZmlsZXMpIG1vY2hhLmFkZEZpbGUoam9pbihfX2Rpcm5hbWUsIG5hbWUpKTtcbiAgY29uc3QgZmFpbHVyZXMgPSBhd2FpdCBuZXcgUHJvbWlzZTxudW1iZXI+KChyZXNvbHZlKSA9PiBtb2NoYS5ydW4ocmVzb2x2ZSkpO1xuICBpZiAoZmFpbHVyZXMgPiAwKSB0aHJvdyBuZXcgRXJyb3IoYCR7ZmFpbHVyZXN9IGV4dGVuc2lvbiB0ZXN0KHMpIGZhaWxlZGApO1xufVxuIiwgImltcG9ydCB7IGZvcm1hdCB9IGZyb20gJ25vZGU6dXRpbCc7XG5cbi8qKlxuICogUHJpbnRzIGEgbGluZSBvZiB0ZXN0IG91dHB1dCB0byB0aGUgdGVybWluYWwgdGhhdCBydW5zIHRoZSB0ZXN0cy4gVGVzdHMgc2hvdWxkIHVzZSB0aGlzIHJhdGhlclxuICogdGhhbiBjb25zb2xlLmxvZzogaW4gY29kZS1zZXJ2ZXIgdGhlIGV4dGVuc2lvbiBob3N0J3MgY29uc29sZSByZWFjaGVzIHRoZSB0ZXN0IGRyaXZlciBtaXhlZFxuICogaW50byB0aGUgd29ya2JlbmNoJ3Mgb3duIGxvZywgc28gbGluZXMgbWVhbnQgZm9yIHRoZSB0ZXJtaW5hbCBjYXJyeSB0aGUgdGFnIHRoZSBkcml2ZXIgc2V0cyBpblxuICogQjJNX1RFU1RfT1VUUFVUX1RBRy4gKFRoZSBleHRlbnNpb24gaG9zdCBpZ25vcmVzIHJlYXNzaWduaW5nIGNvbnNvbGUgbWV0aG9kcywgc28gY29uc29sZSBpdHNlbGZcbiAqIGNhbm5vdCBiZSB0YWdnZWQuKSBFbHNld2hlcmUsIGUuZy4gaW4gZGVza3RvcCBWUyBDb2RlLCBpdCBpcyBwbGFpbiBjb25zb2xlLmxvZy5cbiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHByaW50KC4uLmFyZ3M6IHVua25vd25bXSk6IHZvaWQge1xuICBjb25zb2xlLmxvZyhgJHtwcm9jZXNzLmVudi5CMk1fVEVTVF9PVVRQVVRfVEFHID8/ICcnfSR7Zm9ybWF0KC4uLmFyZ3MpfWApO1xufVxuIl0sCiAgIm1hcHBpbmdzIjogIjs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7O0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUdBLG1CQUFrQjtBQUNsQixxQkFBNEI7QUFDNUIsdUJBQXFCOzs7QUNMckIsdUJBQXVCO0FBU2hCLFNBQVMsU0FBUyxNQUF1QjtBQUM5QyxVQUFRLElBQUksR0FBRyxRQUFRLElBQUksdUJBQXVCLEVBQUUsT0FBRyx5QkFBTyxHQUFHLElBQUksQ0FBQyxFQUFFO0FBQzFFOzs7QURIQSxlQUFzQixNQUFxQjtBQUV6QyxlQUFBQSxRQUFNLFVBQVUsS0FBSyxhQUFhO0FBQ2xDLFFBQU0sUUFBUSxJQUFJLGFBQUFBLFFBQU0sRUFBRSxJQUFJLE9BQU8sVUFBVSxRQUFRLE9BQU8sT0FBTyxTQUFTLElBQU8sQ0FBQztBQUN0RixRQUFNLE9BQU8sUUFBUSxJQUFJO0FBQ3pCLE1BQUksS0FBTSxPQUFNLEtBQUssSUFBSTtBQUN6QixRQUFNLFlBQVEsNEJBQVksU0FBUyxFQUFFLE9BQU8sQ0FBQyxTQUFTLEtBQUssU0FBUyxXQUFXLENBQUMsRUFBRSxLQUFLO0FBQ3ZGLE1BQUksTUFBTSxXQUFXLEVBQUcsT0FBTSxJQUFJLE1BQU0sNEJBQTRCLFNBQVMsRUFBRTtBQUMvRSxhQUFXLFFBQVEsTUFBTyxPQUFNLFlBQVEsdUJBQUssV0FBVyxJQUFJLENBQUM7QUFDN0QsUUFBTSxXQUFXLE1BQU0sSUFBSSxRQUFnQixDQUFDLFlBQVksTUFBTSxJQUFJLE9BQU8sQ0FBQztBQUMxRSxNQUFJLFdBQVcsRUFBRyxPQUFNLElBQUksTUFBTSxHQUFHLFFBQVEsMkJBQTJCO0FBQzFFOyIsCiAgIm5hbWVzIjogWyJNb2NoYSJdCn0K
