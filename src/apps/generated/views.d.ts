/**
 * The views' HTML, one self-contained page per folder of src/apps/views/ (scripts and styles
 * inlined), written into views.js by scripts/build-views.mjs (run by `npm run build` and before
 * the tests). Only this declaration is committed.
 */
export declare const VIEW_HTML: Readonly<Record<string, string>>;
