/** The {@code nautilus} command line: one subcommand per job, thin over the pipeline library. */
package io.nautilus.jobs;
