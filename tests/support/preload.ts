import { afterAll } from "bun:test";
import { forgetAppSettings } from "./developer-env";
import { disposeTestResources } from "./resources";

forgetAppSettings();

// Global teardown: drop the databases this process created and close shared connections.
afterAll(async () => {
  await disposeTestResources();
});
