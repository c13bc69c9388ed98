/** Figures from study results: learning curves against epochs and time, written as PNG and SVG. */
package io.hps.plot;
