/** The {@code hps} command line: one class per subcommand, each parsing, validating and calling the domain. */
package io.hps.cli;
