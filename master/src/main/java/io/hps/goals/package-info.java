/**
 * What a study optimises, applied to its results: objective vectors and feasibility ({@link io.hps.goals.Goals}),
 * Pareto ranks and hypervolume ({@link io.hps.goals.Pareto}), and which parameters matter
 * ({@link io.hps.goals.Importance}).
 */
package io.hps.goals;
