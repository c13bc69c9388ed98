package io.hps.study;

import io.hps.protocol.Setting;
import java.nio.file.Path;
import java.time.Instant;

/** A setting a worker holds: the claim file in {@code claimed/<worker>/} and when it was claimed. */
public record Claim(String worker, Setting setting, Path file, Instant claimedAt) {}
