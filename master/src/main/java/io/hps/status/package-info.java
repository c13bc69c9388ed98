/** Where a study stands: counts by state, the best result, workers and quarantined files. */
package io.hps.status;
