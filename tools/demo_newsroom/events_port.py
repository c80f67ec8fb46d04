"""The Marosa port strike, a storyline of four events over the demo week (fictional)."""

from __future__ import annotations

from content import Article

A = Article

ARTICLES = [
    # -- day 1: the strike is called -------------------------------------------------------
    A(
        "port-strike-called",
        "corvenna-ledger",
        "business/marosa-dockworkers-walk-out",
        1,
        "07:40",
        "Marosa dockworkers walk out as union calls indefinite strike",
        "Nadia Fenwick",
        [
            "Some 3,200 dockworkers at the Port of Marosa walked off the job at six o'clock on "
            "Monday morning after their union called an indefinite strike over pay.",
            "The Marosa Dockworkers' Union is demanding a 9% pay rise, while the Marosa Port "
            "Authority has offered 4% spread over two years. Talks broke down late on Sunday "
            "evening after fourteen hours of negotiation.",
            '"We have waited three years for a fair offer, and we will not wait any longer," '
            "union leader Ines Calloway told workers gathered at the main gate.",
            "About 60% of Valdoria's container trade passes through Marosa. The last strike at "
            "the port, in 2019, lasted eleven days and left supermarket shelves short of fruit.",
            "Harlan Oduya, chief executive of the port authority, called the walkout "
            "irresponsible and said the authority's offer remained on the table.",
        ],
        photo="Dockworkers gather at the main gate of the Port of Marosa",
    ),
    A(
        "port-strike-called",
        "northgate-post",
        "economy/marosa-port-halted-by-strike",
        1,
        "09:15",
        "Valdoria's biggest port grinds to a halt as 3,200 dockworkers strike",
        "Owen Achterberg",
        [
            "Cranes stood idle at the Port of Marosa on Monday as 3,200 dockworkers began an "
            "open-ended strike, halting traffic at the gateway for most of Valdoria's imports.",
            "The strike was called by the Marosa Dockworkers' Union after the Marosa Port "
            "Authority refused its demand for a 9 per cent pay increase. The authority's offer "
            "of 4 per cent over two years was rejected by the union's members on Sunday.",
            "Union leader Ines Calloway said her members had been patient for too long. Port "
            "authority chief Harlan Oduya described the action as irresponsible and warned of "
            "damage to the national economy.",
            "Shipping agents said at least a dozen vessels due in Marosa this week were being "
            "told to wait at anchor or divert to smaller ports along the coast.",
        ],
    ),
    A(
        "port-strike-called",
        "eidsvika-dagblad",
        "utenriks/streik-stanser-havnen-i-marosa",
        1,
        "11:05",
        "Streik stanser havnen i Marosa",
        "Ingrid Solheim",
        [
            "Rundt 3200 havnearbeidere i Marosa, Valdorias største havn, la ned arbeidet "
            "mandag morgen etter at fagforeningen deres varslet en streik uten sluttdato.",
            "Fagforeningen Marosa Dockworkers' Union krever 9 prosent lønnsøkning. "
            "Havnemyndigheten har tilbudt 4 prosent fordelt over to år.",
            "– Vi har ventet i tre år på et rettferdig tilbud, og vi vil ikke vente lenger, "
            "sa fagforeningsleder Ines Calloway til de streikende ved hovedporten.",
            "Om lag 60 prosent av Valdorias containertrafikk går gjennom Marosa. Fjellmarkske "
            "eksportører av fisk og trelast frykter nå forsinkelser.",
            "Havnedirektør Harlan Oduya kaller streiken uansvarlig.",
        ],
    ),
    A(
        "port-strike-called",
        "hallenburger-rundschau",
        "wirtschaft/hafenstreik-marosa",
        1,
        "12:30",
        "Hafenarbeiter in Marosa legen die Arbeit nieder",
        "Jonas Keller",
        [
            "Im wichtigsten Hafen Valdorias steht seit Montagmorgen alles still: Rund 3200 "
            "Hafenarbeiter in Marosa sind in einen unbefristeten Streik getreten.",
            "Die Gewerkschaft der Hafenarbeiter von Marosa fordert neun Prozent mehr Lohn. Die "
            "Hafenbehörde bietet vier Prozent, verteilt auf zwei Jahre. Die Verhandlungen waren "
            "in der Nacht zum Montag nach vierzehn Stunden gescheitert.",
            "\u201eWir haben drei Jahre auf ein faires Angebot gewartet, und wir warten nicht "
            "länger\u201c, sagte Gewerkschaftschefin Ines Calloway vor dem Haupttor.",
            "Über Marosa laufen etwa 60 Prozent des valdorischen Containerumschlags. Auch "
            "Brandtaler Maschinenbauer, die über Marosa exportieren, rechnen mit Verzögerungen.",
        ],
    ),
    A(
        "port-strike-called",
        "el-faro",
        "mundo/huelga-paraliza-puerto-de-marosa",
        1,
        "10:10",
        "Huelga indefinida paraliza el puerto de Marosa",
        "Lucía Berrocal",
        [
            "Unos 3.200 estibadores del puerto de Marosa, el mayor de Valdoria, iniciaron el "
            "lunes una huelga indefinida para exigir mejoras salariales.",
            "El sindicato de estibadores de Marosa reclama una subida del 9 %, mientras que la "
            "Autoridad Portuaria ofrece un 4 % repartido en dos años.",
            "\u00abHemos esperado tres años una oferta justa y no vamos a esperar más\u00bb, "
            "declaró la líder sindical Ines Calloway ante la puerta principal del puerto.",
            "Por Marosa pasa cerca del 60 % del comercio de contenedores de Valdoria. Los "
            "exportadores de café y fruta de Costaluna temen retrasos en sus envíos.",
            "El director de la Autoridad Portuaria, Harlan Oduya, calificó la huelga de "
            "irresponsable.",
        ],
    ),
    # -- day 2: mediator appointed, talks open -----------------------------------------------
    A(
        "port-talks",
        "corvenna-ledger",
        "business/mediator-appointed-marosa",
        2,
        "10:20",
        "Government appoints mediator as ships queue off Marosa",
        "Nadia Fenwick",
        [
            "Labour minister Teodor Brask on Tuesday appointed the retired judge Miriam "
            "Solberg-Ray to mediate in the Marosa port strike, as 43 container ships waited at "
            "anchor outside the harbour.",
            "Both the Marosa Dockworkers' Union and the port authority accepted the mediator, "
            "and the first round of talks began at the labour ministry in Corvenna on Tuesday "
            "afternoon.",
            '"Every day this port stays shut costs the country dearly," Mr Brask told '
            'reporters. "I expect both sides to negotiate in good faith."',
            "Union leader Ines Calloway and port authority chief Harlan Oduya each met the "
            "mediator alone before the first joint session.",
            "The Valdorian Grocers' Association warned that stocks of imported fresh fruit "
            "could run low by the weekend if the strike continued.",
        ],
    ),
    A(
        "port-talks",
        "northgate-post",
        "economy/marosa-strike-talks-open",
        2,
        "13:00",
        "Talks to end Marosa port strike open under retired judge",
        "Owen Achterberg",
        [
            "Negotiators for Marosa's striking dockworkers and the port authority sat down "
            "together on Tuesday for the first time since the walkout began, with retired judge "
            "Miriam Solberg-Ray in the chair.",
            "Labour minister Teodor Brask named Ms Solberg-Ray as mediator on Tuesday morning. "
            "She settled a rail dispute in 2021 and is respected by both unions and employers.",
            "More than 40 ships were anchored off the port by midday, according to the port's "
            "own tracking data, and two shipping lines said they would skip Marosa entirely "
            "this week.",
            "Neither side would comment on the opening positions. The Marosa Dockworkers' "
            "Union still demands a 9 per cent rise; the Marosa Port Authority has not moved "
            "from its offer of 4 per cent.",
        ],
    ),
    A(
        "port-talks",
        "fjordposten",
        "nyheter/skip-venter-utenfor-marosa",
        2,
        "15:30",
        "Over 40 skip venter utenfor Marosa – megling har startet",
        "Eirik Nordvik",
        [
            "Tirsdag ettermiddag startet meglingen i havnestreiken i Marosa i Valdoria. Utenfor "
            "havnen lå 43 containerskip og ventet.",
            "Arbeidsminister Teodor Brask har utnevnt den pensjonerte dommeren Miriam "
            "Solberg-Ray til mekler. Både fagforeningen og havnemyndigheten har godtatt henne.",
            "For fiskeeksportører på Fjellmark-kysten betyr streiken at fersk fisk må sendes "
            "via andre havner, noe som gir lengre frakttid og høyere kostnader.",
            "– Vi håper på en rask løsning, men vi planlegger for at dette kan ta en uke, sier "
            "daglig leder Vidar Holm i Kystfisk Eksport.",
        ],
    ),
    A(
        "port-talks",
        "tagesbote",
        "wirtschaft/schlichtung-hafenstreik-marosa",
        2,
        "17:45",
        "Schlichtung im Hafenstreik von Marosa beginnt",
        "Sabine Roth",
        [
            "Im Streik der Hafenarbeiter von Marosa hat am Dienstag die Schlichtung begonnen. "
            "Arbeitsminister Teodor Brask setzte die frühere Richterin Miriam Solberg-Ray als "
            "Schlichterin ein.",
            "Vor dem Hafen warten inzwischen 43 Containerschiffe auf ihre Abfertigung. Zwei "
            "Reedereien kündigten an, Marosa in dieser Woche nicht mehr anzulaufen.",
            "Die Gewerkschaft hält an ihrer Forderung von neun Prozent mehr Lohn fest, die "
            "Hafenbehörde an ihrem Angebot von vier Prozent.",
        ],
    ),
    # -- day 4: a deal ------------------------------------------------------------------------
    A(
        "port-deal",
        "corvenna-ledger",
        "business/marosa-strike-ends-pay-deal",
        4,
        "06:50",
        "Marosa strike ends with 7% pay deal",
        "Nadia Fenwick",
        [
            "The strike at the Port of Marosa is over. Dockworkers voted on Wednesday night to "
            "accept a deal that raises their pay by 7% over two years, ending a four-day "
            "shutdown of the country's main port.",
            "Of the union members who voted, 78% backed the agreement brokered by the mediator "
            "Miriam Solberg-Ray after two days of talks in Corvenna.",
            "The port authority said the deal would cost it 350 million valdors over three "
            "years, to be covered partly by higher handling fees.",
            '"This is not everything we asked for, but it is a fair result," said union leader '
            "Ines Calloway. The port will reopen on Friday morning.",
        ],
    ),
    A(
        "port-deal",
        "northgate-post",
        "economy/dockworkers-accept-deal",
        4,
        "08:30",
        "Dockworkers accept deal, ending shutdown of Marosa port",
        "Owen Achterberg",
        [
            "Marosa's dockworkers have accepted a 7 per cent pay rise over two years, bringing "
            "to an end a strike that had stranded dozens of ships off Valdoria's largest port.",
            "The deal, reached late on Wednesday under mediator Miriam Solberg-Ray, was backed "
            "by 78 per cent of the union members who voted.",
            "Analysts put the cost of the agreement to the Marosa Port Authority at roughly 400 "
            "million valdors over three years, including a one-off bonus for night shifts.",
            "Labour minister Teodor Brask thanked both sides. Port authority chief Harlan Oduya "
            "said work would resume at six o'clock on Friday.",
        ],
    ),
    A(
        "port-deal",
        "eidsvika-dagblad",
        "utenriks/enighet-i-marosa",
        4,
        "10:40",
        "Enighet i Marosa: havnestreiken er over",
        "Ingrid Solheim",
        [
            "Havnearbeiderne i Marosa har stemt ja til en avtale som gir dem 7 prosent høyere "
            "lønn over to år. Dermed er streiken i Valdorias største havn over etter fire dager.",
            "78 prosent av medlemmene som stemte, sa ja til avtalen som mekler Miriam "
            "Solberg-Ray la fram onsdag kveld.",
            "Ifølge havnemyndigheten vil avtalen koste 350 millioner valdor over tre år.",
            "– Dette er ikke alt vi ba om, men det er et rettferdig resultat, sier "
            "fagforeningsleder Ines Calloway. Havnen åpner igjen fredag morgen.",
        ],
    ),
    A(
        "port-deal",
        "hallenburger-rundschau",
        "wirtschaft/einigung-hafenstreik-marosa",
        4,
        "11:15",
        "Hafenstreik in Marosa beendet: 7 Prozent mehr Lohn",
        "Jonas Keller",
        [
            "Die Hafenarbeiter von Marosa haben einer Vereinbarung zugestimmt, die ihnen über "
            "zwei Jahre 7 Prozent mehr Lohn bringt. Damit endet der Streik im größten Hafen "
            "Valdorias nach vier Tagen.",
            "78 Prozent der abstimmenden Gewerkschaftsmitglieder billigten den Kompromiss, den "
            "die Schlichterin Miriam Solberg-Ray am Mittwochabend vorgelegt hatte.",
            "Die Hafenbehörde beziffert die Kosten der Einigung auf 350 Millionen Valdor über "
            "drei Jahre. Der Betrieb soll am Freitagmorgen wieder aufgenommen werden.",
            "\u201eDas ist nicht alles, was wir gefordert haben, aber es ist ein faires "
            "Ergebnis\u201c, sagte Gewerkschaftschefin Ines Calloway.",
            "Für Brandtaler Exporteure ist das eine gute Nachricht: Container, die seit Montag "
            "feststecken, sollen bis Ende nächster Woche verladen sein.",
        ],
    ),
    A(
        "port-deal",
        "el-faro",
        "mundo/acuerdo-fin-huelga-marosa",
        4,
        "08:20",
        "Acuerdo pone fin a la huelga portuaria de Marosa",
        "Lucía Berrocal",
        [
            "Los estibadores de Marosa aceptaron una subida salarial del 7 % en dos años, con "
            "lo que termina la huelga que paralizó durante cuatro días el principal puerto de "
            "Valdoria.",
            "El 78 % de los afiliados que votaron respaldó el acuerdo propuesto por la "
            "mediadora Miriam Solberg-Ray.",
            "Según analistas del sector, el acuerdo costará a la Autoridad Portuaria unos 400 "
            "millones de valdores en tres años.",
            "\u00abNo es todo lo que pedimos, pero es un resultado justo\u00bb, afirmó la líder "
            "sindical Ines Calloway. El puerto reabrirá el viernes por la mañana.",
        ],
    ),
    # -- day 5: the port reopens ---------------------------------------------------------------
    A(
        "port-reopens",
        "corvenna-ledger",
        "business/first-ships-leave-marosa",
        5,
        "09:00",
        "First ships leave Marosa as port reopens after strike",
        "Tomasz Reeve",
        [
            "The container ship Aurora Veil was the first vessel to leave the Port of Marosa on "
            "Friday as cranes started moving again after the end of the dockworkers' strike.",
            "Dockworkers handled 2,600 containers in the first shift, the port authority said, "
            "and the backlog of waiting ships should be cleared within ten days.",
            "Crowds of relatives brought coffee and pastries to the gates as the morning shift "
            "went in, and several workers said they were relieved to be back.",
        ],
        photo="The container ship Aurora Veil leaves the Port of Marosa",
    ),
    A(
        "port-reopens",
        "fjordposten",
        "nyheter/havnen-i-marosa-apnet-igjen",
        5,
        "12:00",
        "Havnen i Marosa åpnet igjen",
        "Eirik Nordvik",
        [
            "Fredag morgen var kranene i Marosa i gang igjen etter streiken. Containerskipet "
            "Aurora Veil var det første som forlot havnen.",
            "Ifølge havnemyndigheten ble 2600 containere håndtert på det første skiftet. Køen "
            "av skip skal være borte innen ti dager.",
            "Fiskeeksportørene langs kysten venter at leveransene til Valdoria er tilbake til "
            "normalt i løpet av neste uke.",
        ],
    ),
]
