// Starts Swagger UI on the /docs page. It is a served file, not an inline script, so the page's
// Content-Security-Policy allows scripts from 'self' only. The page's markup says where the OpenAPI
// document is.
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.specUrl,
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The default asks validator.swagger.io about the document: nothing leaves the app's origin.
  validatorUrl: null,
});
