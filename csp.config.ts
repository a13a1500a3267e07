/**
 * The Content-Security-Policy of the built app (issue #8): scripts, workers and styles only from
 * the app's own origin, WebAssembly compilation allowed, and network connections only to the app
 * and to the Hugging Face hub (which the app contacts only when the user picks a hub model).
 *
 * vite.config.ts writes it into every built HTML page as `<meta http-equiv="Content-Security-Policy">`,
 * so any static host serves it, and `vite preview` also sends it as a header. The two differ in
 * reach: a meta policy binds the page only, while each worker takes the policy of its own script's
 * HTTP response (measured in Chromium: with the meta tag alone a worker's fetch to another origin
 * goes out; with the header it is refused). A host that should bind the workers too sends
 * CSP_HEADER as a `Content-Security-Policy` header for every file (README, "Network and security").
 * `frame-ancestors` works only in a header, so it is in CSP_HEADER and not in the meta tag.
 *
 * The dev server (`npm start`) gets no policy: Vite's HMR client and React refresh preamble are
 * inline scripts. e2e/network.spec.ts checks the policy on the build; tests/csp.test.ts guards
 * against loosening it by accident.
 */

/**
 * Hosts transformers.js downloads a hub model from: https://huggingface.co/<id>/resolve/<rev>/<file>
 * and the redirects behind it (the browser checks every redirect target against connect-src).
 * The hub lists them at https://huggingface.co/.well-known/meta.json: hubDomains huggingface.co,
 * hf.co; lfsDomains cdn-lfs.hf.co, cdn-lfs-us-1.hf.co, cdn-lfs-eu-1.hf.co, transfer.xethub.hf.co,
 * transfer.xethub-eu.hf.co; cdnDomains *.aws.cdn.hf.co and *.gcp.cdn.hf.co (e.g. us.aws.cdn.hf.co,
 * reported as the redirect target of .onnx files). Xet-stored files have also redirected to
 * cas-bridge.xethub.hf.co, older LFS files to cdn-lfs(-us-1).huggingface.co. A CSP `*.` wildcard
 * matches subdomains at any depth, so these four entries cover them all.
 */
export const HUB_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://hf.co', 'https://*.hf.co'] as const;

/** Directive -> sources, with the reason for each. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  // Everything not named below (images, fonts, media, manifests...): the app's origin only. The app
  // shows no data:/blob: images (ECharts draws on canvas; downloads are blob: links, which img-src
  // does not govern), so img-src needs nothing more.
  'default-src': ["'self'"],
  // The bundle and its chunks; no inline scripts, no eval. 'wasm-unsafe-eval' allows compiling
  // WebAssembly: tfjs-backend-wasm in the training worker and ONNX Runtime in the embedding worker
  // (measured without it: "Compiling or instantiating WebAssembly module violates the following
  // Content Security policy directive", and the embedding and training fail). No blob: — the
  // embedder stops transformers.js from re-serving ORT's .mjs as a blob: module
  // (src/core/embed/embedder.ts, useWasmCache).
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // The module workers (data, train, embed, reduce) are files of the build.
  'worker-src': ["'self'"],
  // The app's own files (tfjs-wasm/*.wasm, ort/*) and the model hub with its download hosts.
  'connect-src': ["'self'", ...HUB_HOSTS],
  // The built stylesheets; no <style> elements.
  'style-src': ["'self'"],
  // style="" attributes inside HTML strings: ECharts' tooltips set their content as innerHTML with
  // inline styles (measured without it: ~100 style-src-attr violations from hovering one chart).
  // React's style props are set through the CSSOM, which CSP does not restrict.
  'style-src-attr': ["'unsafe-inline'"],
  // No plugins, no <base> hijacking, no form submissions anywhere.
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

/** Directives that only work in an HTTP header (browsers ignore them in a meta tag). */
const CSP_HEADER_ONLY: Readonly<Record<string, readonly string[]>> = {
  // Nobody needs to frame the app (clickjacking).
  'frame-ancestors': ["'none'"],
};

const serialise = (d: Readonly<Record<string, readonly string[]>>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

/** The policy as the meta tag carries it. */
export const CSP = serialise(CSP_DIRECTIVES);
/** The policy as an HTTP header carries it: CSP plus frame-ancestors. */
export const CSP_HEADER = serialise({ ...CSP_DIRECTIVES, ...CSP_HEADER_ONLY });
