#!/usr/bin/env bun
import { loadConfig } from "../src/config";
import { processIo } from "./io";
import { openCliDatabase } from "./open-database";
import { runSaasctl } from "./program";

process.exit(
  await runSaasctl(process.argv.slice(2), {
    io: processIo,
    config: () => loadConfig(processIo.env),
    openDatabase: openCliDatabase,
  }),
);
