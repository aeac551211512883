import { lookup } from "node:dns/promises";
import type { HostResolver } from "../../core/ports/host-resolver";

const NOT_FOUND = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA"]);

/** The system resolver (getaddrinfo, as a connection would use): every address of the host. */
export const dnsHostResolver: HostResolver = {
  async addresses(host) {
    try {
      const found = await lookup(host, { all: true, verbatim: true });
      return found.map((entry) => entry.address);
    } catch (error) {
      if (NOT_FOUND.has((error as NodeJS.ErrnoException).code ?? "")) return [];
      throw error;
    }
  },
};
