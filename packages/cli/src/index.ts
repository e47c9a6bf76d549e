export { CliError, EXIT_CODES } from "./exit-codes.js";
export { buildProgram, main } from "./program.js";
