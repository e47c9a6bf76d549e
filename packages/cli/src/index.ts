export { CliError, EXIT_CODES } from "./exit-codes.js";
export { argumentsOf, buildProgram, main } from "./program.js";
