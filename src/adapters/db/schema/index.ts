export * from "./audit";
export * from "./feature-flags";
export * from "./one-time-tokens";
export * from "./role-customisations";
export * from "./role-permissions";
export * from "./sessions";
export * from "./tenants";
export * from "./users";
