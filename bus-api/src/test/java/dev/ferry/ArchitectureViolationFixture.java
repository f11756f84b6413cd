package dev.ferry;

import dev.ferry.internal.types.MessageTypes;

/** Deliberately breaks the API rule, to prove the architecture test can fail. */
public class ArchitectureViolationFixture {
  public MessageTypes leaksAnInternalType() {
    return new MessageTypes();
  }
}
