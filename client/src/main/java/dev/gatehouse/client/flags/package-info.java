/**
 * Feature-flag evaluation: the model (flags, strategies, constraints, segments, variants), the engine that
 * evaluates it for a context, the snapshot document that carries it from the server, and the import of an
 * Unleash feature state. The Gatehouse server evaluates with these same classes, so a client that evaluates
 * locally from a snapshot gives the server's answers by construction.
 */
package dev.gatehouse.client.flags;
