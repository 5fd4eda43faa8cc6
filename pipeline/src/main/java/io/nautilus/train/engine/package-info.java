/** DJL plumbing of the training engine: thread-local autograd and ordered parameters. */
package io.nautilus.train.engine;
