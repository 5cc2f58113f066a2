/** A `.py` file imported as its text (esbuild's text loader; scripts/py-text-loader.mjs under tsx). */
declare module '*.py' {
  const source: string;
  export default source;
}
