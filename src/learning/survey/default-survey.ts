/**
 * The survey opsdojo ships: three statements for each of the seven dimensions of a learning
 * organisation, in our own words, written for an operations team. `opsdojo survey start` uses it
 * when no file is given; `opsdojo survey show-default` prints it as a starting point for your own.
 */
export const DEFAULT_SURVEY_SOURCE = `opsdojo: survey/v1
name: learning-organisation
title: How our team learns
description: >-
  Rate each statement for how true it is of this team today, not how it should be.
  Answers are anonymous; results appear only for groups of three or more.
scale:
  min: 1
  max: 6
  low: almost never true here
  high: almost always true here
dimensions:
  - id: continuous-learning
    title: Continuous learning
    items:
      - id: cl-time
        text: I get working hours to practise on systems I do not run every day.
      - id: cl-mistakes
        text: When a change goes wrong, we look for what it teaches us before we look for who did it.
      - id: cl-skills
        text: I have learned something this month that I now use on call.
  - id: inquiry-and-dialogue
    title: Inquiry and dialogue
    items:
      - id: id-hypotheses
        text: During an incident, people say what they think is wrong and why, out loud.
      - id: id-challenge
        text: I can question a senior engineer's diagnosis without it costing me.
      - id: id-listen
        text: In reviews and retros, we ask each other questions before we offer answers.
  - id: team-learning
    title: Team learning
    items:
      - id: tl-mixed
        text: We practise with people from other specialities, not only our own.
      - id: tl-share
        text: What one of us finds out in a drill or an outage reaches the rest of the team.
      - id: tl-plans
        text: The team changes how it works based on what it learned together.
  - id: empowerment
    title: Empowerment
    items:
      - id: em-act
        text: I may take a production action during an incident without waiting for permission.
      - id: em-lead
        text: Anyone on the team can run a game day, not only the usual few.
      - id: em-own
        text: I have a say in which follow-up work we take on after an incident.
  - id: embedded-systems
    title: Embedded systems
    items:
      - id: es-followup
        text: Action items from postmortems get done, and we can see which are still open.
      - id: es-recheck
        text: After we fix a weakness, we run the scenario again to see that it is fixed.
      - id: es-record
        text: What we learn ends up in runbooks, tools or checks that others find without asking.
  - id: system-connection
    title: System connection
    items:
      - id: sc-owners
        text: For every service we run, I know who owns it and how to reach them.
      - id: sc-impact
        text: We think about how our changes affect other teams and their users.
      - id: sc-standards
        text: Our services follow shared conventions, so one team's knowledge works on another's.
  - id: strategic-leadership
    title: Strategic leadership
    items:
      - id: sl-invest
        text: Our leads make time and money available for practice, not only for delivery.
      - id: sl-model
        text: Our leads take part in drills and retros themselves.
      - id: sl-decide
        text: Decisions about reliability work are made with what drills and incidents showed us.
`;
