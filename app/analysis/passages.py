"""Built-in graded read-aloud passages, written for Podium (no third-party text).

Four levels by reading age: 1 = ages 8-9, 2 = ages 10-11, 3 = ages 12-13,
4 = ages 14-16. Every passage is 25-90 words; tests check both. Plain data,
thread-safe.
"""
from __future__ import annotations

from dataclasses import dataclass

LEVELS = {1: "Ages 8-9", 2: "Ages 10-11", 3: "Ages 12-13", 4: "Ages 14-16"}


@dataclass(frozen=True)
class Passage:
    id: str
    level: int
    title: str
    text: str

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def _p(id: str, level: int, title: str, text: str) -> Passage:
    return Passage(id, level, title, " ".join(text.split()))


PASSAGES: tuple[Passage, ...] = (
    # Level 1: short sentences, everyday words.
    _p("l1-red-kite", 1, "The Red Kite", """My dad and I made a red kite. It had a long tail with blue bows.
        We took it to the park on a windy day. The kite went up and up. It danced over the trees
        like a bird. Then the wind stopped, and it fell into a pond. We laughed and pulled it out."""),
    _p("l1-lost-shoe", 1, "The Lost Shoe", """Sam could not find his left shoe. He looked under the bed.
        He looked in the bath. He even looked in the fridge! His little sister was giggling on the
        stairs. Sam saw the shoe in her toy box. "Found it," he said, and they both laughed."""),
    _p("l1-rainy-day", 1, "A Rainy Day", """It is raining, so we cannot play outside. Mum gives us paper,
        glue and old boxes. I build a castle with four towers. My brother makes a boat for his teddy.
        We put the boat in the sink, and it floats. Rainy days can be fun too."""),
    _p("l1-new-puppy", 1, "Our New Puppy", """We have a new puppy called Biscuit. She is brown and white,
        with soft ears. She likes to chew my socks and chase the ball. At night she sleeps in a basket
        next to my bed. When I wake up, she licks my nose to say good morning."""),
    _p("l1-market", 1, "At the Market", """On Saturday we go to the market. There are apples, bread and
        fresh fish. A man sells hats in every colour. I buy a yellow one for 2 pounds. Gran buys
        flowers for the kitchen table. We eat warm buns on the bus home."""),
    _p("l1-snail-race", 1, "The Snail Race", """Mia and Leo found two snails in the garden. They put them
        on a flat stone for a race. Mia's snail went the wrong way. Leo's snail stopped to eat a leaf.
        After ten minutes, neither snail had moved very far. "Let's call it a draw," said Mia."""),
    _p("l1-baking", 1, "Baking Day", """Today I helped my aunt bake a cake. We mixed butter, sugar and
        three eggs in a big bowl. I licked the spoon when she was not looking. The cake rose in the
        oven and the kitchen smelled sweet. We shared it with our neighbours."""),
    _p("l1-moon", 1, "Looking at the Moon", """Last night the moon was big and bright. Dad gave me his
        old binoculars. I could see dark patches and round holes called craters. Dad said people
        walked there a long time ago. I want to visit the moon one day, but I would miss my bed."""),
    # Level 2: longer sentences, some linking words.
    _p("l2-tree-house", 2, "The Tree House", """Every summer, my cousins and I repair the tree house at
        the end of Grandpa's garden. First we check the rope ladder, because last year a step broke.
        Then we sweep out the leaves and spiders. Grandpa lets us use his hammer, but only when he is
        watching. When it is finished, we eat our lunch up there and watch the clouds drift by."""),
    _p("l2-volcano", 2, "Build a Volcano", """For our science project, we built a model volcano. We
        shaped the mountain from clay around a small plastic bottle. Inside the bottle we poured
        baking soda, a little washing-up liquid and red paint. When we added vinegar, bubbly red foam
        rushed out of the top. Everyone in the class cheered, even our teacher."""),
    _p("l2-bike", 2, "Learning to Ride", """I was nearly nine when I finally learned to ride a bike.
        My brother held the back of the seat and ran beside me. I wobbled, I shouted, and twice I
        landed in a bush. On the third afternoon he let go without telling me. I only noticed when I
        turned around and saw him waving from far away."""),
    _p("l2-bees", 2, "Busy Bees", """Bees are small, but they do an enormous job. As they fly from
        flower to flower collecting nectar, they carry pollen that helps plants grow fruit and seeds.
        A single hive can hold more than 20,000 bees. Each one has a task: some clean, some guard the
        entrance, and some make honey. Without bees, our food would be much less varied."""),
    _p("l2-museum", 2, "A Trip to the Museum", """Our class visited the natural history museum on
        Tuesday. The first thing we saw was the skeleton of a huge dinosaur hanging from the ceiling.
        Its teeth were as long as my hand. Upstairs, there were shining rocks, ancient insects
        trapped in amber, and a whale that was longer than our school bus."""),
    _p("l2-football", 2, "The Big Match", """The score was one all with five minutes to go. Priya got
        the ball on the left wing and looked up. Her legs were tired, but she sprinted past two
        defenders and crossed it into the box. Tom jumped higher than anyone and headed it into the
        corner of the net. The whole team piled on top of him."""),
    _p("l2-recycling", 2, "Why We Recycle", """Every week our family fills three bins: one for paper,
        one for plastic and glass, and one for everything else. Recycling means old materials can be
        made into new things, so fewer trees are cut down and less rubbish is buried in the ground. A
        plastic bottle can even become part of a warm fleece jacket."""),
    _p("l2-storm", 2, "The Storm", """The storm arrived just after dinner. Thunder rolled across the
        hills and rain hammered on the windows. Suddenly, all the lights went out. We found candles
        in the drawer and played cards on the kitchen floor. By the time the power came back, nobody
        wanted to stop the game."""),
    # Level 3: richer vocabulary, varied sentence shapes.
    _p("l3-octopus", 3, "Clever Octopuses", """Octopuses are among the most intelligent animals in the
        ocean. They can solve puzzles, open jars and even escape from tanks in aquariums. An octopus
        has three hearts and blue blood, and most of its neurons are found in its eight arms rather
        than its brain. This means each arm can explore and react almost on its own, which makes them
        remarkable hunters."""),
    _p("l3-lighthouse", 3, "The Lighthouse Keeper", """For almost forty years, Eleanor kept the
        lighthouse on the northern cliffs. Every evening she climbed one hundred and twelve steps to
        light the lamp, whatever the weather. Sailors who had never met her knew her by the steady
        beam that guided them home. When the light was finally automated, she said she missed the
        climb more than anything."""),
    _p("l3-water-cycle", 3, "The Water Cycle", """The water you drink today may once have fallen as
        rain on a distant mountain. Heat from the sun causes water in seas and lakes to evaporate.
        As the vapour rises, it cools and condenses into clouds. Eventually the droplets become heavy
        enough to fall as rain or snow, and rivers carry the water back towards the sea."""),
    _p("l3-invention", 3, "An Accidental Invention", """Some of the most useful inventions happened by
        accident. A scientist trying to create a very strong glue once produced one that was
        surprisingly weak. It could stick paper together, yet peel off without leaving a mark. For
        years nobody knew what to do with it, until a colleague used it to mark pages in his hymn
        book. Sticky notes were born."""),
    _p("l3-desert", 3, "Life in the Desert", """Deserts may look empty, but they are full of life that
        has adapted to extreme conditions. Camels store fat in their humps and can go for days
        without drinking. Cacti keep water in their thick stems and protect it with sharp spines.
        Many desert animals sleep during the scorching day and hunt only when the cool night
        arrives."""),
    _p("l3-debate", 3, "Should Homework Be Banned?", """Our class held a debate about whether homework
        should be banned. One team argued that children need time to rest, play and spend time with
        their families. The other team replied that practising at home helps us remember what we
        learn. In the end, most people agreed that a small amount of meaningful homework is better
        than none at all."""),
    _p("l3-mountain", 3, "Reaching the Summit", """We started walking at six o'clock, while the valley
        was still covered in mist. The path grew steeper and narrower, and my legs began to ache. Just
        below the summit, the clouds suddenly cleared. Below us, lakes shone like scattered mirrors
        and tiny villages clung to the hillsides. It was worth every painful step."""),
    # Level 4: complex sentences, abstract ideas.
    _p("l4-sleep", 4, "Why Teenagers Need Sleep", """Scientists have discovered that teenagers' body
        clocks naturally shift later during adolescence, which is why many find it difficult to fall
        asleep before eleven. Yet most still need around nine hours of sleep to concentrate, manage
        their emotions and remember what they have learned. Some schools have experimented with later
        start times, and several reported better attendance and improved exam results."""),
    _p("l4-coral", 4, "Coral Reefs in Danger", """Coral reefs cover less than one percent of the ocean
        floor, yet they support roughly a quarter of all marine species. When the water becomes too
        warm, corals expel the colourful algae living inside them and turn white, a process known as
        bleaching. If temperatures do not return to normal, the corals may starve. Protecting reefs
        therefore depends on reducing pollution and slowing climate change."""),
    _p("l4-printing", 4, "The Printing Revolution", """Before the printing press, books were copied by
        hand, which made them rare and extremely expensive. When movable type spread across Europe in
        the fifteenth century, the cost of books fell dramatically. Ideas could travel faster than
        ever before, and more people learned to read. Historians often compare that change to the
        arrival of the internet in our own time."""),
    _p("l4-advert", 4, "Reading Adverts Critically", """Advertisements rarely tell us everything. A
        drink described as containing real fruit might contain only a small percentage of juice,
        while a photograph of a burger is often carefully arranged by professional stylists. Learning
        to question what we see, by asking who made a message and why, is an essential skill in a
        world where we encounter thousands of adverts every week."""),
    _p("l4-volunteer", 4, "A Summer of Volunteering", """Last summer I volunteered at an animal rescue
        centre on the edge of town. I had imagined cuddling kittens all day, but most of my work
        involved cleaning cages, washing bowls and filling in paperwork. Nevertheless, watching a
        nervous, underweight dog gradually learn to trust people again was one of the most rewarding
        experiences I have ever had."""),
    _p("l4-space-debris", 4, "Rubbish in Orbit", """Thousands of pieces of debris, from abandoned
        satellites to flecks of paint, are circling the Earth at tremendous speeds. Even a fragment
        smaller than a coin can damage a spacecraft. Engineers are now designing nets, harpoons and
        magnets to capture this rubbish, because if collisions keep producing more fragments, some
        orbits could eventually become too dangerous to use."""),
    _p("l4-language", 4, "How Languages Change", """Languages are constantly changing. Words that
        sounded perfectly normal to our great-grandparents may seem strange to us, while expressions
        invented online can spread around the world within weeks. Some people worry that this
        damages the language, but linguists generally argue that change is a sign of a living,
        healthy language rather than a broken one."""),
)

_BY_ID = {p.id: p for p in PASSAGES}


def get_passage(passage_id: str) -> Passage | None:
    """The passage with this id, or None."""
    return _BY_ID.get(passage_id)


def passages_for_level(level: int) -> list[Passage]:
    """All passages of one level (1-4), in library order; empty for an unknown level."""
    return [p for p in PASSAGES if p.level == level]
