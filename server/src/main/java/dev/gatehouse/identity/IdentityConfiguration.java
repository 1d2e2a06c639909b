package dev.gatehouse.identity;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Identity runs one schedule: the signing-key rotation check in {@link KeyRing}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class IdentityConfiguration {}
