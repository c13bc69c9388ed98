/** The course exercise's six scenarios: their spaces and runs, raw tables, figures and HTML report. */
package io.hps.scenario;
