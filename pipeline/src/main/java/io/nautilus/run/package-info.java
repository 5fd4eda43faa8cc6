/**
 * Running jobs: Spark sessions with Nautilus defaults, progress lines on long stages, the staging
 * folder an output is committed from, and the two kinds of failure a job reports (a user's mistake,
 * exit code 2; a failed run, exit code 1).
 */
package io.nautilus.run;
