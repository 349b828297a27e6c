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
set yrange [3847.888430:-147.995708]
set ylabel 'time (ms; grey bands: idle time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key below horizontal box spacing 1.2 width 1
set ytics ("0" 0.000000, "200" 389.738088, "700" 618.463227, "1580" 802.543547, "3000" 1026.015547, "3200" 1605.491723, "3400" 1805.491723, "3600" 2384.967899, "3800" 2584.967899, "4000" 2784.967899, "4500" 3408.692722, "64510" 3699.892722)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 506.919372 to graph 1, first 581.281943 fc rgb '#ececec' fs solid 1 noborder behind
set label '420.000 ms cut (nothing on the wire)' at graph 0.5, first 544.100657 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 679.483307 to graph 1, first 761.523467 fc rgb '#ececec' fs solid 1 noborder behind
set label '860.000 ms cut (nothing on the wire)' at graph 0.5, first 720.503387 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 873.411547 to graph 1, first 975.147547 fc rgb '#ececec' fs solid 1 noborder behind
set label '1.400 s cut (nothing on the wire)' at graph 0.5, first 924.279547 center font ',10' tc rgb '#606060'
set object 4 rect from graph 0, first 3308.006236 to graph 1, first 3375.130561 fc rgb '#ececec' fs solid 1 noborder behind
set label '390.000 ms cut (nothing on the wire)' at graph 0.5, first 3341.568398 center font ',10' tc rgb '#606060'
set object 5 rect from graph 0, first 3496.492722 to graph 1, first 3632.092722 fc rgb '#ececec' fs solid 1 noborder behind
set label '59.990 s cut (nothing on the wire)' at graph 0.5, first 3564.292722 center font ',10' tc rgb '#606060'
set title 'Ladder diagram: segments between hosts, time running down' . "\n" . '(15 labels hidden where arrows are too close: see ladder.dat, or use --from/--to)'
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 0 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 1 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 2 lc rgb '#e07000' title 'retransmission', \
  '' index 1 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',10' tc rgb '#e07000' notitle, \
  'ladder.dat' index 2 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 2 using 1:7:3 with labels right font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 3 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' notitle, \
  '' index 3 using 1:7:3 with labels left font ',11' tc rgb '#1b2631' notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
