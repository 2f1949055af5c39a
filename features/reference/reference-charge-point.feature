@reference-only
Feature: The reference charge point's own guarantees
  Some guarantees live inside the charge point's software: what the application sees when it
  sends while offline, how pending calls end, stopping, external control and metrics. These
  need the reference charge point's insides, so they are not run against other charge points.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @SendWhileOffline_FailsFast
  Scenario Outline: Sending while offline fails at once (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    And the application sends a message while the charge point is offline
    Then the message fails at once with a connection-closed error and nothing reaches the CSMS

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @PendingCalls_SettleOnClose
  Scenario Outline: Calls pending at a drop settle once (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    And the CSMS drops the connection when numbered message 3 arrives
    When the charge point sends 5 numbered messages in quick succession
    Then every numbered message settles exactly once
    And the unanswered ones fail with a connection-closed error
    And no message from before the drop reaches the CSMS again

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @Stop_CancelsReconnect
  Scenario Outline: Stopping during the back-off cancels the reconnect (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    And the charge point is stopped
    Then no connection attempt follows within 3 seconds

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @ExternalControl
  Scenario Outline: Forced drop, disconnect and connect from outside (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the charge point's connection is force-dropped
    Then the charge point connects again within the back-off window of attempt 1
    And the charge point comes online
    When the charge point is told to disconnect
    Then no connection attempt follows within 3 seconds
    When the charge point is told to connect
    Then the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @Metrics
  Scenario Outline: Metrics tell the story of a reconnect (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    Then the charge point comes online
    And its metrics show 1 reconnect attempt, the last close as Clean, and the measured reconnect

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
