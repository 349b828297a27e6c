# ladder.gp: ladder diagram, one column per host, time running down, one arrow per segment
# Written by twsim. The data is in ladder.dat (plain columns, described in its
# header). Edit freely and rerun `gnuplot ladder.gp`: it writes ladder.png and
# ladder.svg (twsim passes temporary names in png_out and svg_out).
reset
if (!exists("png_out")) png_out = 'ladder.png'
if (!exists("svg_out")) svg_out = 'ladder.svg'
set encoding utf8
if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {
  set terminal pngcairo size 1280,800 noenhanced font 'Sans,12' linewidth 1.5
} else {
  set terminal png size 1280,800 noenhanced
}
set output png_out
set title 'Ladder diagram: segments between hosts, time running down' font ',16'
set style textbox opaque noborder margins 1,1
unset xtics
set x2tics scale 0 font ',14' ('client' 0, 'server' 1)
set xrange [-0.8:1.8]
set x2range [-0.8:1.8]
set yrange [486.187520:-18.699520]
set ylabel 'time (ms; grey bands: idle time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key below horizontal box spacing 1.2 width 1
set ytics ("0" 0.000000, "20" 20.000000, "40" 56.696000, "5050" 340.088000, "8000" 417.488000, "8020" 437.488000, "9000" 467.488000)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 147.566000 to graph 1, first 275.914000 fc rgb '#ececec' fs solid 1 noborder behind
set label '5.000 s cut (nothing on the wire)' at graph 0.5, first 211.740000 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 359.438000 to graph 1, first 398.138000 fc rgb '#ececec' fs solid 1 noborder behind
set label '2.950 s cut (nothing on the wire)' at graph 0.5, first 378.788000 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 444.988000 to graph 1, first 459.988000 fc rgb '#ececec' fs solid 1 noborder behind
set label '980.000 ms cut (nothing on the wire)' at graph 0.5, first 452.488000 center font ',10' tc rgb '#606060'
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 0 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 1 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 1 using 1:7:3 with labels right font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 2 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' notitle, \
  '' index 2 using 1:7:3 with labels left font ',11' tc rgb '#1b2631' notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
