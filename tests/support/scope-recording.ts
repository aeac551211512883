import type { DataScope } from "../../src/core/domain/data-scope";
import type { Repositories, UnitOfWork } from "../../src/core/ports/repositories";

/** A unit of work over the given (fake) repositories that records the scope of every transaction. */
export function scopeRecordingUow(repos: unknown): { uow: UnitOfWork; scopes: DataScope[] } {
  const scopes: DataScope[] = [];
  const uow: UnitOfWork = {
    transaction: (scope, work) => {
      scopes.push(scope);
      return work(repos as Repositories);
    },
  };
  return { uow, scopes };
}
