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

// test/extension/smoke.test.ts
var assert = __toESM(require("node:assert/strict"), 1);
var vscode = __toESM(require("vscode"), 1);

// test/extension/print.ts
var import_node_util = require("node:util");
function print(...args) {
  console.log(`${process.env.B2M_TEST_OUTPUT_TAG ?? ""}${(0, import_node_util.format)(...args)}`);
}

// test/extension/smoke.test.ts
var extensionId = "b2m.b2m";
describe("extension smoke", () => {
  it("is installed and activates by itself in a workspace with b2m.json", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    const deadline = Date.now() + 1e4;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(extension.isActive, true, `${extensionId} did not activate on workspaceContains:b2m.json`);
    reportActivationTime();
  });
  it("opened the workspace that holds b2m.json", async () => {
    const found = await vscode.workspace.findFiles("b2m.json");
    assert.equal(found.length, 1);
  });
});
function reportActivationTime() {
  const marks = globalThis.MonacoPerformanceMarks?.getMarks();
  const at = (event) => marks?.find((m) => m.name === `code/extHost/${event}/${extensionId}`)?.startTime;
  const willLoad = at("willLoadExtensionCode");
  const didLoad = at("didLoadExtensionCode");
  const didActivate = at("didActivateExtension");
  if (willLoad === void 0 || didLoad === void 0 || didActivate === void 0) {
    print(`b2m activation time: unknown (no extension host performance marks)`);
    return;
  }
  print(`b2m activation time: ${(didActivate - willLoad).toFixed(1)} ms (loading code ${(didLoad - willLoad).toFixed(1)} ms)`);
}
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLi4vLi4vdGVzdC9leHRlbnNpb24vc21va2UudGVzdC50cyIsICIuLi8uLi90ZXN0L2V4dGVuc2lvbi9wcmludC50cyJdLAogICJzb3VyY2VzQ29udGVudCI6IFsiaW1wb3J0ICogYXMgYXNzZXJ0IGZyb20gJ25vZGU6YXNzZXJ0L3N0cmljdCc7XG5pbXBvcnQgKiBhcyB2c2NvZGUgZnJvbSAndnNjb2RlJztcbmltcG9ydCB7IHByaW50IH0gZnJvbSAnLi9wcmludC5qcyc7XG5cbmNvbnN0IGV4dGVuc2lvbklkID0gJ2IybS5iMm0nO1xuXG5kZXNjcmliZSgnZXh0ZW5zaW9uIHNtb2tlJywgKCkgPT4ge1xuICBpdCgnaXMgaW5zdGFsbGVkIGFuZCBhY3RpdmF0ZXMgYnkgaXRzZWxmIGluIGEgd29ya3NwYWNlIHdpdGggYjJtLmpzb24nLCBhc3luYyAoKSA9PiB7XG4gICAgY29uc3QgZXh0ZW5zaW9uID0gdnNjb2RlLmV4dGVuc2lvbnMuZ2V0RXh0ZW5zaW9uKGV4dGVuc2lvbklkKTtcbiAgICBhc3NlcnQub2soZXh0ZW5zaW9uLCBgJHtleHRlbnNpb25JZH0gaXMgbm90IGxvYWRlZGApO1xuICAgIGNvbnN0IGRlYWRsaW5lID0gRGF0ZS5ub3coKSArIDEwXzAwMDtcbiAgICB3aGlsZSAoIWV4dGVuc2lvbi5pc0FjdGl2ZSAmJiBEYXRlLm5vdygpIDwgZGVhZGxpbmUpIGF3YWl0IG5ldyBQcm9taXNlKChyZXNvbHZlKSA9PiBzZXRUaW1lb3V0KHJlc29sdmUsIDUwKSk7XG4gICAgYXNzZXJ0LmVxdWFsKGV4dGVuc2lvbi5pc0FjdGl2ZSwgdHJ1ZSwgYCR7ZXh0ZW5zaW9uSWR9IGRpZCBub3QgYWN0aXZhdGUgb24gd29ya3NwYWNlQ29udGFpbnM6YjJtLmpzb25gKTtcbiAgICByZXBvcnRBY3RpdmF0aW9uVGltZSgpO1xuICB9KTtcblxuICBpdCgnb3BlbmVkIHRoZSB3b3Jrc3BhY2UgdGhhdCBob2xkcyBiMm0uanNvbicsIGFzeW5jICgpID0+IHtcbiAgICBjb25zdCBmb3VuZCA9IGF3YWl0IHZzY29kZS53b3Jrc3BhY2UuZmluZEZpbGVzKCdiMm0uanNvbicpO1xuICAgIGFzc2VydC5lcXVhbChmb3VuZC5sZW5ndGgsIDEpO1xuICB9KTtcbn0pO1xuXG4vKipcbiAqIFByaW50cyBob3cgbG9uZyBsb2FkaW5nIGFuZCBhY3RpdmF0aW5nIHRoZSBleHRlbnNpb24gdG9vaywgZnJvbSB0aGUgcGVyZm9ybWFuY2UgbWFya3MgVlMgQ29kZSdzXG4gKiBleHRlbnNpb24gaG9zdCByZWNvcmRzIGFyb3VuZCBlYWNoIGFjdGl2YXRpb24gKGFuIGludGVybmFsLCBzbyBhYnNlbnQgbWFya3MgYXJlIG9ubHkgcmVwb3J0ZWQpLlxuICovXG5mdW5jdGlvbiByZXBvcnRBY3RpdmF0aW9uVGltZSgpOiB2b2lkIHtcbiAgY29uc3QgbWFya3MgPSAoZ2xvYmFsVGhpcyBhcyB7IE1vbmFjb1BlcmZvcm1hbmNlTWFya3M/OiB7IGdldE1hcmtzKCk6IHsgbmFtZTogc3RyaW5nOyBzdGFydFRpbWU6IG51bWJlciB9W10gfSB9KVxuICAgIC5Nb25hY29QZXJmb3JtYW5jZU1hcmtzPy5nZXRNYXJrcygpO1xuICBjb25zdCBhdCA9IChldmVudDogc3RyaW5nKTogbnVtYmVyIHwgdW5kZWZpbmVkID0+IG1hcmtzPy5maW5kKChtKSA9PiBtLm5hbWUgPT09IGBjb2RlL2V4dEhvc3QvJHtldmVudH0vJHtleHRlbnNpb25JZH1gKT8uc3RhcnRUaW1lO1xuICBjb25zdCB3aWxsTG9hZCA9IGF0KCd3aWxsTG9hZEV4dGVuc2lvbkNvZGUnKTtcbiAgY29uc3QgZGlkTG9hZCA9IGF0KCdkaWRMb2FkRXh0ZW5zaW9uQ29kZScpO1xuICBjb25zdCBkaWRBY3RpdmF0ZSA9IGF0KCdkaWRBY3RpdmF0ZUV4dGVuc2lvbicpO1xuICBpZiAod2lsbExvYWQgPT09IHVuZGVmaW5lZCB8fCBkaWRMb2FkID09PSB1bmRlZmluZWQgfHwgZGlkQWN0aXZhdGUgPT09IHVuZGVmaW5lZCkge1xuICAgIHByaW50KGBiMm0gYWN0aXZhdGlvbiB0aW1lOiB1bmtub3duIChubyBleHRlbnNpb24gaG9zdCBwZXJmb3JtYW5jZSBtYXJrcylgKTtcbiAgICByZXR1cm47XG4gIH1cbiAgcHJpbnQoYGIybSBhY3RpdmF0aW9uIHRpbWU6ICR7KGRpZEFjdGl2YXRlIC0gd2lsbExvYWQpLnRvRml4ZWQoMSl9IG1zIChsb2FkaW5nIGNvZGUgJHsoZGlkTG9hZCAtIHdpbGxMb2FkKS50b0ZpeGVkKDEpfSBtcylgKTtcbn1cbiIsICJpbXBvcnQgeyBmb3JtYXQgfSBmcm9tICdub2RlOnV0aWwnO1xuXG4vKipcbiAqIFByaW50cyBhIGxpbmUgb2YgdGVzdCBvdXRwdXQgdG8gdGhlIHRlcm1pbmFsIHRoYXQgcnVucyB0aGUgdGVzdHMuIFRlc3RzIHNob3VsZCB1c2UgdGhpcyByYXRoZXJcbiAqIHRoYW4gY29uc29sZS5sb2c6IGluIGNvZGUtc2VydmVyIHRoZSBleHRlbnNpb24gaG9zdCdzIGNvbnNvbGUgcmVhY2hlcyB0aGUgdGVzdCBkcml2ZXIgbWl4ZWRcbiAqIGludG8gdGhlIHdvcmtiZW5jaCdzIG93biBsb2csIHNvIGxpbmVzIG1lYW50IGZvciB0aGUgdGVybWluYWwgY2FycnkgdGhlIHRhZyB0aGUgZHJpdmVyIHNldHMgaW5cbiAqIEIyTV9URVNUX09VVFBVVF9UQUcuIChUaGUgZXh0ZW5zaW9uIGhvc3QgaWdub3JlcyByZWFzc2lnbmluZyBjb25zb2xlIG1ldGhvZHMsIHNvIGNvbnNvbGUgaXRzZWxmXG4gKiBjYW5ub3QgYmUgdGFnZ2VkLikgRWxzZXdoZXJlLCBlLmcuIGluIGRlc2t0b3AgVlMgQ29kZSwgaXQgaXMgcGxhaW4gY29uc29sZS5sb2cuXG4gKi9cbmV4cG9ydCBmdW5jdGlvbiBwcmludCguLi5hcmdzOiB1bmtub3duW10pOiB2b2lkIHtcbiAgY29uc29sZS5sb2coYCR7cHJvY2Vzcy5lbnYuQjJNX1RFU1RfT1VUUFVUX1RBRyA/PyAnJ30ke2Zvcm1hdCguLi5hcmdzKX1gKTtcbn1cbiJdLAogICJtYXBwaW5ncyI6ICI7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7QUFBQSxhQUF3QjtBQUN4QixhQUF3Qjs7O0FDRHhCLHVCQUF1QjtBQVNoQixTQUFTLFNBQVMsTUFBdUI7QUFDOUMsVUFBUSxJQUFJLEdBQUcsUUFBUSxJQUFJLHVCQUF1QixFQUFFLE9BQUcseUJBQU8sR0FBRyxJQUFJLENBQUMsRUFBRTtBQUMxRTs7O0FEUEEsSUFBTSxjQUFjO0FBRXBCLFNBQVMsbUJBQW1CLE1BQU07QUFDaEMsS0FBRyxxRUFBcUUsWUFBWTtBQUNsRixVQUFNLFlBQW1CLGtCQUFXLGFBQWEsV0FBVztBQUM1RCxJQUFPLFVBQUcsV0FBVyxHQUFHLFdBQVcsZ0JBQWdCO0FBQ25ELFVBQU0sV0FBVyxLQUFLLElBQUksSUFBSTtBQUM5QixXQUFPLENBQUMsVUFBVSxZQUFZLEtBQUssSUFBSSxJQUFJLFNBQVUsT0FBTSxJQUFJLFFBQVEsQ0FBQyxZQUFZLFdBQVcsU0FBUyxFQUFFLENBQUM7QUFDM0csSUFBTyxhQUFNLFVBQVUsVUFBVSxNQUFNLEdBQUcsV0FBVyxpREFBaUQ7QUFDdEcseUJBQXFCO0FBQUEsRUFDdkIsQ0FBQztBQUVELEtBQUcsNENBQTRDLFlBQVk7QUFDekQsVUFBTSxRQUFRLE1BQWEsaUJBQVUsVUFBVSxVQUFVO0FBQ3pELElBQU8sYUFBTSxNQUFNLFFBQVEsQ0FBQztBQUFBLEVBQzlCLENBQUM7QUFDSCxDQUFDO0FBTUQsU0FBUyx1QkFBNkI7QUFDcEMsUUFBTSxRQUFTLFdBQ1osd0JBQXdCLFNBQVM7QUFDcEMsUUFBTSxLQUFLLENBQUMsVUFBc0MsT0FBTyxLQUFLLENBQUMsTUFBTSxFQUFFLFNBQVMsZ0JBQWdCLEtBQUssSUFBSSxXQUFXLEVBQUUsR0FBRztBQUN6SCxRQUFNLFdBQVcsR0FBRyx1QkFBdUI7QUFDM0MsUUFBTSxVQUFVLEdBQUcsc0JBQXNCO0FBQ3pDLFFBQU0sY0FBYyxHQUFHLHNCQUFzQjtBQUM3QyxNQUFJLGFBQWEsVUFBYSxZQUFZLFVBQWEsZ0JBQWdCLFFBQVc7QUFDaEYsVUFBTSxvRUFBb0U7QUFDMUU7QUFBQSxFQUNGO0FBQ0EsUUFBTSx5QkFBeUIsY0FBYyxVQUFVLFFBQVEsQ0FBQyxDQUFDLHNCQUFzQixVQUFVLFVBQVUsUUFBUSxDQUFDLENBQUMsTUFBTTtBQUM3SDsiLAogICJuYW1lcyI6IFtdCn0K
