package dev.gatehouse.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on Spring's scheduler for small periodic housekeeping (such as {@link IdempotencyKeyPurge}) that
 * is safe to run on every node at once. Durable, run-once-per-cluster work belongs in the jobs module.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {}
