/**
 * The master: proposes settings in batches, accepts each setting's one result, expires the leases of
 * silent workers and retries or fails their settings, and rebuilds all of this from the study
 * directory when restarted.
 */
package io.hps.master;
