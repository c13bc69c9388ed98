/**
 * BUTTER-style dense network topologies: a shape, a depth and a target number of trainable parameters
 * give the layer widths. Plain arithmetic, no DL4J.
 */
package io.hps.dense;
