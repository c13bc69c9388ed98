/**
 * The synthetic trainer ({@code "model": "synthetic"}): deterministic learning curves shaped like the
 * exercise CNN's, for tests, benchmarks and demos without DL4J.
 */
package io.hps.synthetic;
