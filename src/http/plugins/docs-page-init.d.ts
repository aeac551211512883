// docs-page-init.js runs in the browser; the server imports it `with { type: "text" }`, as a string.
declare const text: string;
export default text;
