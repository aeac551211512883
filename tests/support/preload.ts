import { afterAll } from "bun:test";
import { disposeTestResources } from "./resources";

// Global teardown: drop the databases this process created and close shared connections.
afterAll(async () => {
  await disposeTestResources();
});
