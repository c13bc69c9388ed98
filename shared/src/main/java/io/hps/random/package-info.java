/** Random permutations shared by the trainers (minibatch order) and the simulator (reshuffled searches). */
package io.hps.random;
