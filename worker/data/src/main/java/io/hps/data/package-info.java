/**
 * Training data as plain arrays: MNIST from its original IDX files (raw or gzip, checked by SHA-256,
 * fetched on first use) and small tabular datasets from CSV. No DL4J types here.
 */
package io.hps.data;
