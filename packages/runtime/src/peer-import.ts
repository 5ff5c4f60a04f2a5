/**
 * Imports one of the runtime's optional peer dependencies (onnxruntime-node, sharp, @onebit/convert)
 * when it is first needed, so an environment that never needs it need not install it; a missing one
 * becomes a MissingDependencyError naming the npm command that installs it.
 */
import { MissingDependencyError } from './errors.js';

/**
 * Runs `load` (a literal `() => import('name')`, so bundlers still see the specifier) and returns
 * the module. Throws MissingDependencyError when `name` is not installed (Node's
 * ERR_MODULE_NOT_FOUND, or the stub module Vite substitutes for a missing optional peer); any
 * other failure is rethrown as is.
 */
export async function importPeer<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown } | null)?.code;
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || /Could not resolve|Cannot find (package|module)/i.test(message)) && message.includes(name);
    if (!missing) throw cause;
    throw new MissingDependencyError(`${purpose} needs ${name}, an optional peer dependency of @onebit/runtime that is not installed: run npm install ${name}.`, name, { cause });
  }
}
