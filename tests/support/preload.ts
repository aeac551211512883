import { afterAll } from "bun:test";
import { forgetAppSettings } from "./developer-env";
import { disposeTestResources } from "./resources";

forgetAppSettings();

// Global teardown: drop the databases this process created and close shared connections. A whole
// run creates a hundred or so databases; dropping them on a busy machine takes longer than the
// default 5 s a hook gets.
afterAll(async () => {
  await disposeTestResources();
}, 60_000);
