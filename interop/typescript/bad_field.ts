// Must NOT compile: a misspelled field (`aprover`) in a signal's input. scripts/test runs
// `tsc --noEmit` on it and fails if the compiler accepts it.
import { Signal } from "./generated/sender";

export const wrong: Signal = { name: "approve", input: { aprover: "dana" } };
