Feature: OCPP 2.0.1 RetryBackOff reconnects
  OCPP 2.0.1 (Part 4 §5.3, tested by OCTT TC_B_57) defines its own back-off: wait a minimum
  plus a random part, then double it plus a fresh random part a set number of times, then hold.

  @Backoff_OCPP201_RetryBackOff @ocpp201
  Scenario: The CSMS keeps closing the connection right after the handshake (OCPP 2.0.1)
    Given the charge point's reconnect policy is:
      | back-off model | OCPP 2.0.1 |
      | wait minimum   | 100 ms     |
      | random range   | 50 ms      |
      | repeat times   | 2          |
      | resume delay   | 250 ms     |
    And the CSMS accepts the charge point with a heartbeat every 1 second
    And the charge point speaks OCPP 2.0.1
    And the CSMS closes the next 5 connections right after the handshake
    When the charge point is started
    Then the charge point reconnects 5 times, each within the back-off window of its attempt
    And the charge point comes online
