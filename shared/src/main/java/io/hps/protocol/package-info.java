/**
 * The records that the study directory's JSON files map to: settings, results, the study's
 * configuration and the workers' and master's status. Every file carries {@code "schema": 1}.
 */
package io.hps.protocol;
