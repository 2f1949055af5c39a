Feature: Dead connections are noticed through WebSocket pings
  Behind load balancers a connection can die without a close. Pings find out: a charge point
  that gets no pong reconnects, and a charge point that answers the CSMS's pings stays.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @PingTimeout
  Scenario Outline: The CSMS stops answering the charge point's pings (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point pings the CSMS every 1000 ms and gives up after 500 ms without a pong
    And the charge point is online
    When the CSMS stops answering pings
    Then the charge point drops the silent connection within 1500 ms
    And the charge point connects again within the back-off window of attempt 1
    And the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @PingTimeout
  Scenario Outline: The CSMS pings a charge point that answers (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS pings the charge point every 1000 ms and waits 500 ms for each pong
    And 3 seconds pass
    Then the charge point is still on its first connection

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
