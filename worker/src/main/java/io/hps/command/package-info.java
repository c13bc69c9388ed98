/**
 * The command trainer ({@code "model": "command"}): any program as a trainer, with its parameters in its
 * arguments, environment and a file, and its epochs read from JSON lines it writes.
 */
package io.hps.command;
