/**
 * Search strategies: what to try next, from the seed, the search space and the results so far. A
 * strategy keeps no state of its own, so a restarted master and the simulator reuse it as is.
 */
package io.hps.strategy;
