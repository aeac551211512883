// The documentation page imports its assets `with { type: "text" }`: Bun hands over each file's
// content as a string (and `bun build --compile` embeds it).
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const text: string;
  export default text;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const text: string;
  export default text;
}
