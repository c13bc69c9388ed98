/**
 * Trainers evaluate one setting and report each epoch; they know nothing of files. The synthetic
 * trainer computes deterministic curves for tests, benchmarks and demos without DL4J.
 */
package io.hps.trainer;
