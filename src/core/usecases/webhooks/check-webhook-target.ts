import { ValidationError } from "../../domain/errors";
import {
  ipLiteralOf,
  isForbiddenTargetAddress,
  parseWebhookUrl,
  WEBHOOK_URL_MAX_LENGTH,
  type WebhookUrlProblem,
} from "../../domain/webhook-target";
import type { HostResolver } from "../../ports/host-resolver";

export interface WebhookTargetPolicy {
  /** WEBHOOK_ALLOW_HTTP: plain `http` URLs too. */
  allowHttp: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback and private addresses too (development and tests only). */
  allowPrivateTargets: boolean;
}

export interface WebhookTarget {
  url: URL;
  /** What the host resolved to, every address checked: connect to one of these, not to the name again. */
  addresses: string[];
}

const MESSAGES: Record<WebhookUrlProblem | "unresolvable" | "forbidden_address", string> = {
  not_a_url: "Must be an absolute URL.",
  scheme_not_allowed: "Must be an https URL.",
  credentials_in_url: "Must not carry a user name or password.",
  too_long: `Must be at most ${WEBHOOK_URL_MAX_LENGTH} characters.`,
  unresolvable: "The host does not resolve.",
  forbidden_address:
    "The host resolves to a loopback, private, link-local, multicast or cloud-metadata address.",
};

const refused = (problem: keyof typeof MESSAGES) =>
  new ValidationError(
    problem === "forbidden_address" ? "WEBHOOK_TARGET_FORBIDDEN" : "INVALID_WEBHOOK_URL",
    "The webhook URL is not allowed.",
    [{ field: "url", message: MESSAGES[problem] }],
  );

/**
 * Checks a webhook URL and resolves its host, refusing any address inside the platform's network
 * (unless allowed): at registration, and again before each delivery, since a name may resolve
 * elsewhere later (DNS rebinding). Every address must be safe, not just the first.
 */
export function makeCheckWebhookTarget(resolver: HostResolver, policy: WebhookTargetPolicy) {
  return async function checkWebhookTarget(text: string): Promise<WebhookTarget> {
    const parsed = parseWebhookUrl(text, { allowHttp: policy.allowHttp });
    if ("problem" in parsed) throw refused(parsed.problem);
    const { url } = parsed;
    const literal = ipLiteralOf(url);
    const addresses = literal ? [literal] : await resolver.addresses(url.hostname);
    if (addresses.length === 0) throw refused("unresolvable");
    if (!policy.allowPrivateTargets && addresses.some(isForbiddenTargetAddress)) {
      throw refused("forbidden_address");
    }
    return { url, addresses };
  };
}

export type CheckWebhookTarget = ReturnType<typeof makeCheckWebhookTarget>;
