Feature: Nothing is sent twice across a reconnect
  A message that was in flight or waiting when the connection dropped belongs to the
  application: the charge point never re-sends it on its own, under the old id or a new one
  (libocpp #1137 shows what goes wrong otherwise).

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @NoDoubleSend_AcrossReconnect
  Scenario Outline: The CSMS drops the connection in the middle of a burst (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    And the CSMS drops the connection when numbered message 3 arrives
    When the charge point sends 5 numbered messages in quick succession
    Then no message from before the drop reaches the CSMS again
    When the charge point sends 5 numbered messages in quick succession
    Then the new messages arrive in order, each once

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @UniqueMessageIds
  Scenario Outline: Message ids are never reused across reconnects (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS drops the connection 3 times, each time once the charge point is back online
    Then no message id is ever used twice

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
