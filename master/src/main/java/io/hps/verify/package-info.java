/**
 * {@code hps verify}: computes every proposal of a study again from the provenance its batches recorded and
 * checks it against what was written, and checks each accepted result against its recorded digest.
 */
package io.hps.verify;
