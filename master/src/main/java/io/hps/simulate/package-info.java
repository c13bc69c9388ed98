/** Simulated searches over finished results: reshuffled random-search curves (best validation error so far). */
package io.hps.simulate;
