Feature: Reconnect attempts back off exponentially, with jitter
  A charge point that cannot get back in must wait longer after each failed attempt, up to a
  cap, and spread its attempts with jitter, so a fleet does not hammer a recovering CSMS.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @Backoff_ExpJitter
  Scenario Outline: The CSMS keeps turning the charge point away: <how> (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS <misbehaviour>
    When the charge point is started
    Then the charge point reconnects 6 times, each within the back-off window of its attempt
    And no reconnect delay exceeds the maximum back-off
    And every reconnect delay is at least 0.6 times the one before
    And the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version | how                        | misbehaviour                                             |
      | 1.6     | closed after the handshake | closes the next 6 connections right after the handshake |
      | 1.6     | upgrade refused            | refuses the next 6 connection attempts with HTTP 503    |

    @ocpp201
    Examples: OCPP 2.0.1
      | version | how                        | misbehaviour                                             |
      | 2.0.1   | closed after the handshake | closes the next 6 connections right after the handshake |
      | 2.0.1   | upgrade refused            | refuses the next 6 connection attempts with HTTP 503    |

  @Backoff_ResetsAfterAcceptedBoot
  Scenario Outline: An accepted boot starts the back-off over (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS closes the next 4 connections right after the handshake
    And the charge point is online
    When the CSMS closes the connection
    Then the charge point connects again within the back-off window of attempt 1

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @ServerUnreachable
  Scenario Outline: Nothing answers at the CSMS's address (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And nothing accepts connections at the CSMS's address
    When the charge point is started
    Then the charge point reconnects 4 times, each within the back-off window of its attempt
    When the CSMS starts accepting connections
    Then the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
