/**
 * The worker loop: poll the study directory, claim a setting, train it while a heartbeat keeps the
 * lease, publish the result, repeat; hand the setting back on shutdown.
 */
package io.hps.worker;
