/**
 * The study directory: its layout, durable and exactly-once file operations, claims by atomic rename,
 * leases kept alive by touching the claim file, quarantine of bad files. PROTOCOL.md describes it for
 * workers written in other languages.
 */
package io.hps.study;
